import { DataSource } from "typeorm";
import { Invoice } from "./entities/invoice.entity";

export const dataSource = new DataSource({
  type: "postgres",
  url: process.env.DATABASE_URL,
  entities: [Invoice],
  migrations: ["dist/migrations/*.js"],
  synchronize: false,
});
