const { DataTypes } = require("sequelize");
const { sequelize } = require("../db");

const Listing = sequelize.define(
  "Listing",
  {
    title: { type: DataTypes.STRING, allowNull: false },
    details: { type: DataTypes.TEXT },
    sellerId: { type: DataTypes.INTEGER },
  },
  { tableName: "listings", indexes: [{ type: "FULLTEXT", fields: ["details"] }] },
);

const Seller = sequelize.define("Seller", {
  company: { type: DataTypes.STRING },
  notes: { type: DataTypes.TEXT },
});

module.exports = { Listing, Seller };
