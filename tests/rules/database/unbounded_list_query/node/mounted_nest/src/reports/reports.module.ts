import { Module } from "@nestjs/common";
import { ReportsController } from "./reports.controller";

// a module the root module never imports
@Module({ controllers: [ReportsController] })
export class ReportsModule {}
