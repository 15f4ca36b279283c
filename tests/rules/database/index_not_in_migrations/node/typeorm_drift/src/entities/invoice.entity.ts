import { Column, Entity, Index, PrimaryGeneratedColumn, Unique } from "typeorm";

// ruleid: SC-DB-016
@Index(["accountId", "issuedAt"])
// ok: SC-DB-016
@Unique(["accountId", "number"])
@Entity()
export class Invoice {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ unique: true })
  // ok: SC-DB-016
  reference: string;

  @Column()
  accountId: number;

  @Column()
  number: string;

  @Index()
  @Column()
  // ok: SC-DB-016
  status: string;

  // dropped by a later migration
  @Index()
  @Column()
  // ruleid: SC-DB-016
  currency: string;

  @Column()
  issuedAt: Date;
}
