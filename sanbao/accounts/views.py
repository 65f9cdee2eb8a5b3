from django.contrib.auth import views as auth_views
from django.http import HttpResponse


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


def lockout_response(request, credentials, *args, **kwargs):
    return HttpResponse("locked", status=403)
