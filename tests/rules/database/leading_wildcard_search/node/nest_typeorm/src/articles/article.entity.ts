import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from "typeorm";

@Entity("articles")
export class Article {
  @PrimaryGeneratedColumn()
  id: number;

  @Column()
  headline: string;

  @Column()
  slug: string;

  @Index("articles_byline_trgm_idx", { synchronize: false })
  @Column()
  byline: string;

  @Column("text")
  content: string;

  @Column()
  tenantId: string;

  @CreateDateColumn()
  createdAt: Date;
}
