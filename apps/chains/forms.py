from django import forms
from django.utils.translation import gettext_lazy as _

from apps.chains.models import ChainLink
from apps.core.uploads import MAX_SHEET_BYTES, SizeLimit


class LinkForm(forms.Form):
    name = forms.CharField(label=_("环节名称"), max_length=60)
    keywords = forms.CharField(label=_("关键词"), required=False, help_text=_("用顿号、逗号或空格分隔"),
                               widget=forms.TextInput())
    description = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    source_note = forms.CharField(label=_("来源"), required=False, max_length=300)
    foundation = forms.BooleanField(label=_("基础环节（固链）"), required=False)
    extension = forms.BooleanField(label=_("延伸环节（延链）"), required=False)


class LinkChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return getattr(obj, "path_label", obj.name)


def link_choices(cluster, exclude_ids=()):
    from apps.chains.selectors import cluster_tree

    out = []
    for node in cluster_tree(cluster):
        if node.link.id in exclude_ids:
            continue
        node.link.path_label = node.path
        out.append(node.link)
    return out


class AddLinkForm(LinkForm):
    parent = LinkChoiceField(label=_("上级环节"), queryset=ChainLink.objects.none(), required=False,
                             empty_label=_("（顶层）"))

    def __init__(self, *args, cluster=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = ChainLink.objects.filter(cluster=cluster)
        self.fields["parent"].choices = [("", _("（顶层）"))] + [(link.pk, link.path_label)
                                                              for link in link_choices(cluster)]


class MoveLinkForm(forms.Form):
    parent = LinkChoiceField(label=_("移到……之下"), queryset=ChainLink.objects.none(), required=False)
    after = LinkChoiceField(label=_("排在……之后"), queryset=ChainLink.objects.none(), required=False)

    def __init__(self, *args, link=None, **kwargs):
        super().__init__(*args, **kwargs)
        qs = ChainLink.objects.filter(cluster_id=link.cluster_id).exclude(pk=link.pk)
        choices = [("", _("（顶层/最前）"))] + [(c.pk, c.path_label) for c in link_choices(link.cluster, {link.pk})]
        for name in ("parent", "after"):
            self.fields[name].queryset = qs
            self.fields[name].choices = choices


class PlacementsMoveForm(forms.Form):
    target = LinkChoiceField(label=_("移到环节"), queryset=ChainLink.objects.none())

    def __init__(self, *args, link=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = ChainLink.objects.filter(cluster_id=link.cluster_id).exclude(pk=link.pk)
        self.fields["target"].choices = [(c.pk, c.path_label) for c in link_choices(link.cluster, {link.pk})]


class PlaceForm(forms.Form):
    organisation = forms.IntegerField(required=False, widget=forms.HiddenInput())
    organisation_name = forms.CharField(label=_("目标主体名称"), required=False, max_length=200)
    project = forms.IntegerField(label=_("项目编号"), required=False, min_value=1)
    is_chain_leader = forms.BooleanField(label=_("链主"), required=False)
    method = forms.CharField(required=False, widget=forms.HiddenInput())
    reason = forms.CharField(label=_("理由"), required=False, max_length=300)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("链图文件（.xlsx 或 .json）"),
                           validators=[SizeLimit(MAX_SHEET_BYTES, _("链图文件"), _("请检查是否选错了文件"))])
    note = forms.CharField(label=_("修改说明"), required=False, max_length=200)
