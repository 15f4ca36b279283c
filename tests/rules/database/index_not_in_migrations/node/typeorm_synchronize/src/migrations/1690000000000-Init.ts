import { MigrationInterface, QueryRunner } from "typeorm";

export class Init1690000000000 implements MigrationInterface {
  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "note" ("id" SERIAL NOT NULL, "authorId" integer NOT NULL, CONSTRAINT "PK_1" PRIMARY KEY ("id"))`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "note"`);
  }
}
