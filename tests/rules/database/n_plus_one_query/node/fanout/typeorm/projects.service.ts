// The projects of ONE organization (a parent's fan-out) beside the failing projects of all.
import { Injectable } from "@nestjs/common";
import { InjectRepository } from "@nestjs/typeorm";
import { Repository } from "typeorm";
import { Deployment, Organization, Project } from "./entities";

@Injectable()
export class ProjectsService {
  constructor(
    @InjectRepository(Project) private readonly projects: Repository<Project>,
    @InjectRepository(Deployment) private readonly deployments: Repository<Deployment>,
    @InjectRepository(Organization) private readonly organizations: Repository<Organization>,
  ) {}

  async overview(orgId: number) {
    const owned = await this.projects.find({ where: { organization: { id: orgId } } });
    const out = [];
    for (const project of owned) {
      // ruleid: SC-DB-003 (low: the projects of one organization)
      out.push(await this.deployments.count({ where: { project: { id: project.id } } }));
    }
    return out;
  }

  async teamBoard(orgId: number) {
    const owned = await this.projects.find({ where: { organizationId: orgId, status: "active" } });
    const out = [];
    for (const project of owned) {
      // ruleid: SC-DB-003 (low: the join column of the relation, narrowed by a status)
      out.push(await this.deployments.findOne({ where: { project: { id: project.id } } }));
    }
    return out;
  }

  async withProject(projectId: number) {
    // a one-to-many relation: organizations that hold a project, not one parent's children
    const orgs = await this.organizations.find({ where: { projects: { id: projectId } } });
    const out = [];
    for (const org of orgs) {
      // ruleid: SC-DB-003 (high: filtered through a one-to-many relation)
      out.push(await this.projects.count({ where: { organization: { id: org.id } } }));
    }
    return out;
  }

  async failing() {
    const broken = await this.projects.find({ where: { status: "failing" } });
    const out = [];
    for (const project of broken) {
      // ruleid: SC-DB-003 (high: failing projects of every organization)
      out.push(await this.deployments.find({ where: { project: { id: project.id } } }));
    }
    return out;
  }
}
