"""Flask views registered for GET and POST: the form on GET, the write on submit."""

from flask import Flask, redirect, render_template, request

from .forms import VoidForm
from .models import Invoice, Refund, Visit, db

app = Flask(__name__)


def void_invoice(invoice_id: int) -> None:
    # ok: SC-DB-011
    db.session.add(Refund(invoice_id=invoice_id))
    db.session.commit()


@app.route("/invoices/<int:invoice_id>/void", methods=["GET", "POST"])
def void_dialog(invoice_id):
    form = VoidForm()
    if form.validate_on_submit():
        void_invoice(invoice_id)
        return redirect("/invoices")
    return render_template("void.html", form=form)


@app.route("/invoices/<int:invoice_id>/refund", methods=["GET", "POST"])
def refund_dialog(invoice_id):
    if request.method != "POST":
        return render_template("refund.html")
    # ok: SC-DB-011
    db.session.add(Refund(invoice_id=invoice_id))
    db.session.commit()
    return redirect("/invoices")


def record_visit(invoice_id: int) -> None:
    # ruleid: SC-DB-011 low
    db.session.add(Visit(invoice_id=invoice_id))


@app.route("/invoices/<int:invoice_id>", methods=["GET", "POST"])
def invoice_page(invoice_id):
    record_visit(invoice_id)
    if request.method == "POST":
        void_invoice(invoice_id)
    return render_template("invoice.html", invoice=Invoice.query.get(invoice_id))
