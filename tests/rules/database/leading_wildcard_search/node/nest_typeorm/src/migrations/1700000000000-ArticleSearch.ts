import { MigrationInterface, QueryRunner } from "typeorm";

export class ArticleSearch1700000000000 implements MigrationInterface {
  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await queryRunner.query(`CREATE INDEX "articles_byline_trgm_idx" ON "articles" USING gin ("byline" gin_trgm_ops)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "articles_byline_trgm_idx"`);
  }
}
