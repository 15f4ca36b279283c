from flask import Blueprint, jsonify

from .models import Order

orders_bp = Blueprint("orders", __name__)


# served as GET /orders/all
@orders_bp.route("/all")
def all_orders():
    # ruleid: SC-DB-004
    orders = Order.query.order_by(Order.id).all()
    return jsonify([o.id for o in orders])
