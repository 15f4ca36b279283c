import mongoose from "mongoose";
import knexFactory from "knex";
import { Pool } from "pg";
import { DataTypes, Sequelize } from "sequelize";

export const knex = knexFactory({ client: "pg", connection: process.env.DATABASE_URL });
export const pool = new Pool({ connectionString: process.env.DATABASE_URL });
export const sequelize = new Sequelize(process.env.DATABASE_URL as string);

const userSchema = new mongoose.Schema({ name: String, credits: Number });
export const User = mongoose.model("User", userSchema);

export const Seat = sequelize.define("Seat", { available: DataTypes.INTEGER });
