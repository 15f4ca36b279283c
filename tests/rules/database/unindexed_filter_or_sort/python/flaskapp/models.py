from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class Member(db.Model):
    __tablename__ = "members"
    id = db.Column(db.Integer, primary_key=True)
    # not unique on purpose: display names may repeat
    name = db.Column(db.String(128))
    banned = db.Column(db.Boolean, default=False)
    hidden = db.Column(db.Boolean, default=False)
    email = db.Column(db.String(255))
    city = db.Column(db.String(64))
