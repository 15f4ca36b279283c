import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";
import { TicketStatus } from "../constants";

@Entity()
export class Ticket {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: "int", default: TicketStatus.OPEN })
  status: TicketStatus;

  @Column()
  requesterId: number;

  @Column()
  externalRef: string;

  @Column()
  subject: string;

  @Column()
  channel: string;
}
