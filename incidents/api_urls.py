from django.urls import path

from incidents import api

urlpatterns = [
    path("stress", api.stress_view, name="api_stress"),
    path("simulate", api.simulate_view, name="api_simulate"),
]
