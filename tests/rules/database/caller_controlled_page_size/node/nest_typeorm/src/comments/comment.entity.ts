import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";

@Entity()
export class Comment {
  @PrimaryGeneratedColumn()
  id: number;

  @Column()
  postId: string;

  @Column()
  tag: string;

  @Column({ default: false })
  flagged: boolean;

  @Column()
  createdAt: Date;
}
