from django.urls import path

from calculator import views

app_name = "calculator"
urlpatterns = [
    path("", views.home, name="home"),
    path("calculator/scopes", views.scope_options, name="scope_options"),
    path("calculator/maths", views.maths, name="maths"),
]
