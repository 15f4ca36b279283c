import knexFactory from "knex";
import { Pool } from "pg";
import { DataTypes, Sequelize } from "sequelize";

export const knex = knexFactory({ client: "pg", connection: process.env.DATABASE_URL });
export const pool = new Pool({ connectionString: process.env.DATABASE_URL });
export const sequelize = new Sequelize(process.env.DATABASE_URL as string);

export const Profile = sequelize.define("Profile", { handle: DataTypes.STRING, bio: DataTypes.TEXT });
export const Team = sequelize.define("Team", { slug: { type: DataTypes.STRING, unique: true } });
