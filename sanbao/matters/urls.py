from django.urls import path

from sanbao.matters.views import detail, help_pages, intake, lists

app_name = "matters"
urlpatterns = [
    path("", lists.matter_list, name="matter_list"),
    path("new/", intake.matter_new, name="matter_new"),
    path("new/categories/", intake.category_options, name="category_options"),
    path("new/areas/", intake.area_options, name="area_options"),
    path("parties/lookup/", intake.party_lookup, name="party_lookup"),
    path("queues/", lists.queue_index, name="queue_index"),
    path("queues/<slug:name>/", lists.queue_list, name="queue"),
    path("help/workflows/", help_pages.workflow_help, name="workflow_help"),
    path("<str:code>/", detail.matter_detail, name="matter_detail"),
    path("<str:code>/actions/<slug:verb>/", detail.matter_operation, name="matter_operation"),
    path("<str:code>/parties/<int:pk>/reveal/", detail.party_reveal, name="party_reveal"),
    path("<str:code>/attachments/<int:pk>/", detail.attachment_download, name="attachment_download"),
]
