import express from "express";
import typeormRoutes from "./typeorm-routes";
import sequelizeRoutes from "./sequelize-routes";
import knexRoutes from "./knex-routes";
import drizzleRoutes from "./drizzle-routes";
import mongooseRoutes from "./mongoose-routes";

const app = express();
app.use(express.json());
app.use("/t", typeormRoutes);
app.use("/s", sequelizeRoutes);
app.use("/k", knexRoutes);
app.use("/d", drizzleRoutes);
app.use("/m", mongooseRoutes);
app.listen(3000);
