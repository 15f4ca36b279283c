import { Controller, Get, Req, UseGuards, UseInterceptors } from "@nestjs/common";
import { CacheInterceptor, CacheKey } from "@nestjs/cache-manager";
import { AuthGuard } from "@nestjs/passport";
import { DashboardService } from "./dashboard.service";

@Controller("dashboard")
export class DashboardController {
  constructor(private readonly dashboard: DashboardService) {}

  // ruleid: SC-CACHE-008
  @UseInterceptors(CacheInterceptor)
  @UseGuards(AuthGuard("jwt"))
  @Get("me")
  me(@Req() req: any) {
    return this.dashboard.forUser(req.user.id);
  }

  // ok: SC-CACHE-008
  @UseInterceptors(CacheInterceptor)
  @CacheKey("public-stats")
  @Get("stats")
  stats() {
    return this.dashboard.publicStats();
  }
}
