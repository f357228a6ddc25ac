from django.urls import path

from embed import views

app_name = "embed"
urlpatterns = [
    path("", views.widget, name="widget"),
    path("docs/", views.docs, name="docs"),
    path("<slug:platform_slug>/", views.widget, name="platform"),
]
