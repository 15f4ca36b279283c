from flask import Flask
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


def create_app() -> Flask:
    app = Flask(__name__)
    db.init_app(app)
    with app.app_context():
        db.create_all()
    return app
