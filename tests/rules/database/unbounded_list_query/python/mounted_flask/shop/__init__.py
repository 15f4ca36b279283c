from flask import Flask


def create_app():
    app = Flask(__name__)
    from .orders import orders_bp

    app.register_blueprint(orders_bp, url_prefix="/orders")
    return app
