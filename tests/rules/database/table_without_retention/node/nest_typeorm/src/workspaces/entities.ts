import { Column, CreateDateColumn, Entity, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from "typeorm";

@Entity("workspaces")
export class Workspace {
  @PrimaryGeneratedColumn()
  id: number;

  @Column()
  name: string;
}

@Entity("workspace_activities")
export class WorkspaceActivity {
  @PrimaryGeneratedColumn()
  id: number;

  @ManyToOne(() => Workspace, { onDelete: "CASCADE" })
  workspace: Workspace;

  @CreateDateColumn()
  createdAt: Date;
}

@Entity("user_sessions")
export class UserSession {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ unique: true })
  token: string;

  @Column()
  expiresAt: Date;
}

@Entity("export_jobs")
export class ExportJob {
  @PrimaryGeneratedColumn()
  id: number;

  @Column()
  status: string;

  @UpdateDateColumn()
  updatedAt: Date;
}

@Entity("metric_snapshots")
export class MetricSnapshot {
  @PrimaryGeneratedColumn()
  id: number;

  @Column()
  value: number;

  @CreateDateColumn()
  createdAt: Date;
}
