"""Which robot addresses and secrets are accepted, with the sentence an admin sees when one is not."""

import pytest

from apps.core.errors import DomainError
from apps.notifications.models import mask_url
from apps.notifications.platforms import absolute_link, validate_secret, validate_webhook_url


@pytest.fixture(autouse=True)
def no_extra_hosts(settings):
    settings.WEBHOOK_EXTRA_HOSTS = ["gw.cq.gov.cn"]


@pytest.mark.parametrize("platform, url", [
    ("wecom", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa"),
    ("dingtalk", "https://oapi.dingtalk.com/robot/send?access_token=4c8bd8f1b0b5c1e3a7e1d0f9a8b7c6d5"),
    ("feishu", "https://open.feishu.cn/open-apis/bot/v2/hook/0f9e3c2a-58b1-4b7e-9d6a-2c1f4e5d6a7b"),
    ("feishu", "https://open.larksuite.com/open-apis/bot/v2/hook/0f9e3c2a"),
    ("dingtalk", "http://gw.cq.gov.cn:8080/robot/send?access_token=abc"),  # the operator's gateway
])
def test_the_platforms_own_addresses_and_allowed_gateways_are_accepted(platform, url):
    assert validate_webhook_url(platform, f"  {url} ") == url


@pytest.mark.parametrize("platform, url, message", [
    ("wecom", "", "Webhook 地址：请填写企业微信群机器人的 Webhook 地址"),
    ("wecom", "qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k", "Webhook 地址：应以 https:// 开头"),
    ("wecom", "ftp://qyapi.weixin.qq.com/x", "Webhook 地址：应以 https:// 开头"),
    ("wecom", "http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k", "Webhook 地址：企业微信的地址须使用 https"),
    ("wecom", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send", "Webhook 地址：缺少 key=…"),
    ("dingtalk", "https://oapi.dingtalk.com/robot/send?access_token=", "Webhook 地址：缺少 access_token=…"),
    ("feishu", "https://open.feishu.cn/open-apis/bot/v2/hook/", "Webhook 地址：飞书机器人的地址应为"),
    ("dingtalk", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k", "Webhook 地址：“qyapi.weixin.qq.com”不是钉钉"),
    ("wecom", "https://169.254.169.254/latest/meta-data", "Webhook 地址：“169.254.169.254”不是企业微信"),
    ("wecom", "http://localhost:8000/admin/", "Webhook 地址：“localhost”不是企业微信"),
    ("wecom", "https://user:pw@qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k", "Webhook 地址：不能包含用户名或密码"),
    ("wecom", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=a b", "Webhook 地址：中间不能有空格"),
    ("wecom", "https://qyapi.weixin.qq.com:99999/x", "Webhook 地址：端口号无效"),
    ("wecom", "https:///x", "Webhook 地址：缺少主机名"),
])
def test_other_addresses_are_refused_naming_the_field(platform, url, message):
    with pytest.raises(DomainError) as caught:
        validate_webhook_url(platform, url)
    assert caught.value.field == "url" and caught.value.message.startswith(message)


def test_secrets_follow_each_platforms_rules():
    assert validate_secret("dingtalk", " SECabc ") == "SECabc"
    assert validate_secret("feishu", "anything-goes") == "anything-goes"
    assert validate_secret("wecom", "") == ""
    for platform, secret, message in [
        ("dingtalk", "abc", "签名密钥：钉钉“加签”的密钥以 SEC 开头"),
        ("wecom", "abc", "签名密钥：企业微信群机器人没有签名密钥"),
        ("feishu", "a b", "签名密钥：不能含空格"),
    ]:
        with pytest.raises(DomainError) as caught:
            validate_secret(platform, secret)
        assert caught.value.field == "secret" and caught.value.message.startswith(message)


def test_addresses_are_masked_wherever_they_are_shown():
    assert mask_url("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa") == \
        "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a…5aaa"
    assert mask_url("https://open.feishu.cn/open-apis/bot/v2/hook/0f9e3c2a-58b1-4b7e-9d6a-2c1f4e5d6a7b") == \
        "https://open.feishu.cn/open-apis/bot/v2/hook/0f9e…6a7b"


def test_links_are_made_absolute_with_site_url(settings):
    settings.SITE_URL = "https://zsj.example.gov.cn/"
    assert absolute_link("/projects/1/") == "https://zsj.example.gov.cn/projects/1/"
    assert absolute_link("") == "https://zsj.example.gov.cn/"
    del settings.SITE_URL
    assert absolute_link("/x/") == "http://127.0.0.1:8000/x/"


def test_the_form_names_the_keyword_every_message_carries():
    from apps.notifications.forms import WebhookEndpointForm
    from apps.notifications.platforms import SIGNATURE

    assert f"“{SIGNATURE}”" in str(WebhookEndpointForm.base_fields["secret"].help_text)
