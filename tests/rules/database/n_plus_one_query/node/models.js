const { Op } = require("sequelize");
const { Invoice, Customer } = require("./db");
const Product = require("./models/product");
const mongoose = require("mongoose");

async function invoicesWithCustomers(req, res) {
  const invoices = await Invoice.findAll({ where: { status: "open" }, limit: 100 });
  for (let i = 0; i < invoices.length; i++) {
    // ruleid: SC-DB-003 low
    invoices[i].customer = await Customer.findByPk(invoices[i].customerId);
  }
  res.json(invoices);
}

async function enrichCart(cart) {
  const lines = [];
  cart.items.forEach(async (item) => {
    // ruleid: SC-DB-003 low
    const product = await Product.findById(item.productId).lean();
    lines.push({ ...item, product });
  });
  return lines;
}

async function batchedCart(cart) {
  // ok: SC-DB-003
  const products = await Product.find({ _id: { $in: cart.items.map((i) => i.productId) } }).lean();
  return products;
}

module.exports = { invoicesWithCustomers, enrichCart, batchedCart };
