import { MigrationInterface, QueryRunner, TableIndex } from "typeorm";

export class TicketIndexes1700000000000 implements MigrationInterface {
  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex("ticket", new TableIndex({ name: "IDX_ticket_requester", columnNames: ["requesterId"] }));
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex("ticket", "IDX_ticket_requester");
  }
}
