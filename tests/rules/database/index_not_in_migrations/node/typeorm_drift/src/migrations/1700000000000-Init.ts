import { MigrationInterface, QueryRunner } from "typeorm";

export class Init1700000000000 implements MigrationInterface {
  name = "Init1700000000000";

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "invoice" ("id" SERIAL NOT NULL, "reference" character varying NOT NULL, "accountId" integer NOT NULL, "number" character varying NOT NULL, "status" character varying NOT NULL, "currency" character varying NOT NULL, "issuedAt" TIMESTAMP NOT NULL, CONSTRAINT "UQ_1b4f2ad9c4e1" UNIQUE ("reference"), CONSTRAINT "UQ_5c7d3e1f2a9b" UNIQUE ("accountId", "number"), CONSTRAINT "PK_15d25c200d9bcd8a33f698daf18" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_a1b2c3d4e5f6" ON "invoice" ("status") `);
    await queryRunner.query(`CREATE INDEX "IDX_f6e5d4c3b2a1" ON "invoice" ("currency") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_a1b2c3d4e5f6"`);
    await queryRunner.query(`DROP TABLE "invoice"`);
  }
}
