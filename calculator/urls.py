from django.urls import path

from calculator import api, embed, learn, views

app_name = "calculator"
urlpatterns = [
    path("", views.home, name="home"),
    path("calculator/scopes", views.scope_options, name="scope_options"),
    path("calculator/maths", views.maths, name="maths"),
    path("api/", api.docs_view, name="api_docs"),
    path("api/v1/evaluate", api.evaluate_view, name="api_evaluate"),
    path("api/v1/openapi.json", api.openapi_view, name="api_openapi"),
    path("learn/", learn.index, name="learn"),
    path("learn/<slug:slug>/", learn.topic, name="learn_topic"),
    path("embed/", embed.widget, name="embed"),
    path("embed/docs/", embed.docs, name="embed_docs"),
    path("embed/<slug:platform_slug>/", embed.widget, name="embed_platform"),
]
