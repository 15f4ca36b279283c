const { Op } = require("sequelize");

// Indexes live in the migrations, not on the model: they count as the table's indexes.
module.exports = {
  async up(queryInterface) {
    await queryInterface.addIndex("invoices", ["customerId"]);
    await queryInterface.addConstraint("invoices", { fields: ["number"], type: "unique", name: "invoices_number" });
    // a partial index for soft-deleted rows only: it serves no query of live invoices
    await queryInterface.addIndex("invoices", ["reference"], {
      where: { reference: { [Op.ne]: null }, deletedAt: { [Op.ne]: null } },
    });
    await queryInterface.removeIndex("invoices", ["paidAt"]);
  },
  async down(queryInterface) {
    // the reverse step re-creates what up dropped: not an index of the current schema
    await queryInterface.addIndex("invoices", ["paidAt"]);
  },
};
