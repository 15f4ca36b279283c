const { DataTypes, Sequelize } = require("sequelize");

const sequelize = new Sequelize(process.env.DATABASE_URL);

const Library = sequelize.define("Library", {
  name: DataTypes.STRING,
});

const Shelf = sequelize.define("Shelf", {
  label: DataTypes.STRING,
  public: DataTypes.BOOLEAN,
  libraryId: { type: DataTypes.INTEGER, references: { model: "Library", key: "id" } },
});

const Volume = sequelize.define("Volume", {
  title: DataTypes.STRING,
  shelfId: { type: DataTypes.INTEGER, references: { model: "Shelf", key: "id" } },
});

Library.hasMany(Shelf, { foreignKey: "libraryId" });

module.exports = { Library, Shelf, Volume };
