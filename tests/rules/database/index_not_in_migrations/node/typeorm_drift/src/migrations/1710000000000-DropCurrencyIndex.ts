import { MigrationInterface, QueryRunner } from "typeorm";

export class DropCurrencyIndex1710000000000 implements MigrationInterface {
  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex("invoice", "IDX_f6e5d4c3b2a1");
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "IDX_f6e5d4c3b2a1" ON "invoice" ("currency") `);
  }
}
