"use strict";

module.exports = {
  async up(queryInterface, Sequelize) {
    await queryInterface.createTable("Members", {
      id: { type: Sequelize.INTEGER, primaryKey: true, autoIncrement: true },
      email: { type: Sequelize.STRING, allowNull: false, unique: true },
      handle: { type: Sequelize.STRING },
      teamId: { type: Sequelize.INTEGER, allowNull: false },
      role: { type: Sequelize.STRING },
    });
    await queryInterface.addIndex("Members", ["teamId"]);
  },

  async down(queryInterface) {
    await queryInterface.removeIndex("Members", ["teamId"]);
    await queryInterface.dropTable("Members");
  },
};
