import { DataTypes, Sequelize } from "sequelize";

export const sequelize = new Sequelize(process.env.DATABASE_URL as string);

export const Account = sequelize.define("Account", { name: DataTypes.STRING });
export const LoginEvent = sequelize.define("LoginEvent", {
  accountId: DataTypes.INTEGER,
  ip: DataTypes.STRING,
});
export const OneTimeCode = sequelize.define("OneTimeCode", {
  code: { type: DataTypes.STRING, unique: true },
  expiresAt: DataTypes.DATE,
});
export const ApiToken = sequelize.define("ApiToken", {
  value: { type: DataTypes.STRING, unique: true },
  expiresAt: DataTypes.DATE,
});
export const UsageEvent = sequelize.define("UsageEvent", {
  accountId: {
    type: DataTypes.INTEGER,
    references: { model: "Accounts", key: "id" },
    onDelete: "CASCADE",
  },
  units: DataTypes.INTEGER,
});
