from django.urls import path

from calculator import api, views

app_name = "calculator"
urlpatterns = [
    path("", views.home, name="home"),
    path("api/v1/evaluate", api.evaluate_view, name="api_evaluate"),
]
