from flask import Blueprint, jsonify

from .models import Order

# a blueprint the app never registers
reports_bp = Blueprint("reports", __name__, url_prefix="/reports")


@reports_bp.route("/orders")
def report_orders():
    # ok: SC-DB-004
    orders = Order.query.order_by(Order.id).all()
    return jsonify([o.id for o in orders])
