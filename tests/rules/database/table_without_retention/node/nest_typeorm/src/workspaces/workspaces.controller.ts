import { Body, Controller, Delete, Get, Param, Post } from "@nestjs/common";
import { WorkspacesService } from "./workspaces.service";

@Controller("workspaces")
export class WorkspacesController {
  constructor(private readonly workspacesService: WorkspacesService) {}

  @Post(":id/rename")
  rename(@Param("id") id: string, @Body() body: { name: string }) {
    return this.workspacesService.rename(Number(id), body.name);
  }

  @Get("audit")
  audit() {
    return this.workspacesService.recentAudit();
  }

  @Post(":id/activity")
  activity(@Param("id") id: string) {
    return this.workspacesService.recordActivity(Number(id));
  }

  @Delete(":id")
  remove(@Param("id") id: string) {
    return this.workspacesService.remove(Number(id));
  }

  @Post("login")
  login(@Body() body: { token: string }) {
    return this.workspacesService.login(body.token);
  }

  @Post("logout")
  logout(@Body() body: { token: string }) {
    return this.workspacesService.logout(body.token);
  }

  @Post("exports")
  exportAll() {
    return this.workspacesService.startExport();
  }
}
