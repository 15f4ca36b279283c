import { Module } from "@nestjs/common";
import { TypeOrmModule } from "@nestjs/typeorm";
import { ArticlesModule } from "./articles/articles.module";

@Module({
  imports: [TypeOrmModule.forRoot({ type: "postgres", url: process.env.DATABASE_URL, autoLoadEntities: true }), ArticlesModule],
})
export class AppModule {}
