from celery import shared_task

from .models import EmailEvent


@shared_task
def send_digest(user_id):
    # ok: SC-DB-015
    EmailEvent.objects.create(kind="digest")


@shared_task
def purge_email_events():
    EmailEvent.objects.filter(kind="digest").delete()
