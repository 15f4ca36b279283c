const { DataTypes, Model } = require("sequelize");
const sequelize = require("../db");

class Invoice extends Model {}

Invoice.init(
  {
    customerId: DataTypes.INTEGER,
    number: DataTypes.STRING,
    reference: DataTypes.STRING,
    memo: DataTypes.STRING,
    notes: DataTypes.TEXT,
    paidAt: DataTypes.DATE,
    status: DataTypes.ENUM("draft", "sent", "paid"),
  },
  { sequelize, tableName: "invoices", paranoid: true },
);

module.exports = Invoice;
