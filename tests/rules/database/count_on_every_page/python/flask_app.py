from flask import Flask, render_template, request
from flask_sqlalchemy import SQLAlchemy

app = Flask(__name__)
db = SQLAlchemy(app)


class Article(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(200))


@app.route("/articles")
def articles():
    page = request.args.get("page", 1, type=int)
    # ruleid: SC-DB-005
    pagination = Article.query.order_by(Article.id.desc()).paginate(page=page, per_page=20)
    return render_template("articles.html", pagination=pagination)


@app.route("/articles/feed")
def feed():
    page = request.args.get("page", 1, type=int)
    # ok: SC-DB-005
    pagination = Article.query.order_by(Article.id.desc()).paginate(page=page, per_page=20, count=False)
    return render_template("feed.html", pagination=pagination)
