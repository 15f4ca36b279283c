from .models import RequestAudit


class RequestAuditMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # ruleid: SC-DB-015
        RequestAudit.objects.create(path=request.path)
        return self.get_response(request)
