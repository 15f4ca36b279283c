import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from "typeorm";

@Entity("audit_entries")
export class AuditEntry {
  @PrimaryGeneratedColumn()
  id: number;

  @Column()
  action: string;

  @CreateDateColumn()
  createdAt: Date;
}
