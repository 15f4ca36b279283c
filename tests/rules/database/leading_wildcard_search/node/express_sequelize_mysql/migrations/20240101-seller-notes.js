module.exports = {
  async up(queryInterface) {
    await queryInterface.addIndex("Sellers", ["notes"], { type: "FULLTEXT", name: "sellers_notes_ft" });
  },
  async down(queryInterface) {
    await queryInterface.removeIndex("Sellers", "sellers_notes_ft");
  },
};
