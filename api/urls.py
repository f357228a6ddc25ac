from django.urls import path

from api import account, stress_views, views

app_name = "api"
urlpatterns = [
    path("", views.docs_view, name="docs"),
    path("v1/evaluate", views.evaluate_view, name="evaluate"),
    path("v1/stress", stress_views.stress_view, name="stress"),
    path("v1/incidents", stress_views.incidents_view, name="incidents"),
    path("v1/simulate", stress_views.simulate_view, name="simulate"),
    path("v1/account", account.account_view, name="account"),
    path("v1/openapi.json", views.openapi_view, name="openapi"),
]
