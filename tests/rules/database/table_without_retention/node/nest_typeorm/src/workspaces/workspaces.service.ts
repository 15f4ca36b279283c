import { Injectable } from "@nestjs/common";
import { InjectRepository } from "@nestjs/typeorm";
import { Cron } from "@nestjs/schedule";
import { Repository } from "typeorm";
import { AuditEntry } from "../audit/audit-entry.entity";
import { ExportJob, MetricSnapshot, UserSession, Workspace, WorkspaceActivity } from "./entities";

@Injectable()
export class WorkspacesService {
  constructor(
    @InjectRepository(Workspace) private readonly workspaces: Repository<Workspace>,
    @InjectRepository(AuditEntry) private readonly auditEntries: Repository<AuditEntry>,
    @InjectRepository(WorkspaceActivity) private readonly activities: Repository<WorkspaceActivity>,
    @InjectRepository(UserSession) private readonly sessions: Repository<UserSession>,
    @InjectRepository(ExportJob) private readonly exportJobs: Repository<ExportJob>,
    @InjectRepository(MetricSnapshot) private readonly snapshots: Repository<MetricSnapshot>,
  ) {}

  async rename(id: number, name: string) {
    await this.workspaces.update(id, { name });
    // ruleid: SC-DB-015 low
    await this.auditEntries.insert({ action: `rename ${id}` });
  }

  recentAudit() {
    return this.auditEntries.find({ order: { createdAt: "DESC" }, take: 50 });
  }

  async recordActivity(id: number) {
    // ok: SC-DB-015
    await this.activities.insert({ workspace: { id } });
  }

  remove(id: number) {
    return this.workspaces.delete(id);
  }

  async login(token: string) {
    // ok: SC-DB-015
    await this.sessions.insert({ token, expiresAt: new Date(Date.now() + 3_600_000) });
  }

  logout(token: string) {
    return this.sessions.delete({ token });
  }

  async startExport() {
    // ok: SC-DB-015
    const job = await this.exportJobs.save(this.exportJobs.create({ status: "queued" }));
    return job.id;
  }

  @Cron("*/5 * * * *")
  async snapshot() {
    const value = await this.workspaces.count();
    // ruleid: SC-DB-015 low
    await this.snapshots.insert({ value });
  }
}
