from flask_sqlalchemy import SQLAlchemy

# sized in config.py (SQLALCHEMY_ENGINE_OPTIONS)
# ok: SC-DB-001
db = SQLAlchemy()


class Team(db.Model):
    id = db.Column(db.Integer, primary_key=True)
