from flask import Flask, abort, jsonify, request
from flask_sqlalchemy import SQLAlchemy

app = Flask(__name__)
db = SQLAlchemy(app)


class Post(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(200))


class Comment(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    body = db.Column(db.Text)


@app.route("/posts")
def posts():
    page_len = request.args.get("page_len", 20, type=int)
    # ruleid: SC-DB-012
    rows = Post.query.order_by(Post.id.desc()).limit(page_len).all()
    return jsonify([p.title for p in rows])


@app.route("/comments")
def comments():
    amount = request.args.get("amount", 20, type=int)
    if amount > 50:
        abort(400)
    # ok: SC-DB-012
    rows = Comment.query.order_by(Comment.id.desc()).limit(amount).all()
    return jsonify([c.body for c in rows])
