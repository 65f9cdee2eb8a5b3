from django.contrib.auth import views as auth_views
from django.urls import path

from sanbao.accounts import user_admin, views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.password_change, name="password_change"),
    path("otp/verify/", views.otp_verify, name="otp_verify"),
    path("otp/enrol/", views.otp_enrol, name="otp_enrol"),
    path("security/", views.security_policy, name="security_policy"),
    path("users/", user_admin.user_list, name="user_list"),
    path("users/new/", user_admin.user_create, name="user_create"),
    path("users/<int:pk>/", user_admin.user_detail, name="user_detail"),
    path("users/<int:pk>/edit/", user_admin.user_edit, name="user_edit"),
    path("users/<int:pk>/roles/", user_admin.user_roles, name="user_roles"),
    path("users/<int:pk>/deactivate/", user_admin.user_deactivate, name="user_deactivate"),
    path("users/<int:pk>/reactivate/", user_admin.user_reactivate, name="user_reactivate"),
    path("users/<int:pk>/reset-password/", user_admin.user_reset_password, name="user_reset_password"),
    path("users/<int:pk>/unlock/", user_admin.user_unlock, name="user_unlock"),
    path(
        "users/<int:pk>/reset-authenticator/", user_admin.user_reset_authenticator,
        name="user_reset_authenticator",
    ),
]
