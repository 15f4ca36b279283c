const { Sequelize } = require("sequelize");

const sequelize = new Sequelize(process.env.DATABASE_URL, { dialect: "mysql", pool: { max: 10 } });

module.exports = { sequelize };
