import { Column, DataSource, Entity, Index, PrimaryGeneratedColumn } from "typeorm";

// the data source synchronizes the schema from the entities: migrations are not what builds it
@Entity()
export class Note {
  @PrimaryGeneratedColumn()
  id: number;

  // ok: SC-DB-016
  @Index()
  @Column()
  authorId: number;
}

export const dataSource = new DataSource({
  type: "postgres",
  url: process.env.DATABASE_URL,
  entities: [Note],
  synchronize: true,
});

dataSource.initialize();
