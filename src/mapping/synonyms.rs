//! What people call each CINNOX field in the header of their own lists, in English
//! and in Chinese (traditional and simplified), for `guess`. Headers are compared
//! in a compact form: lower case, with everything but letters and digits removed,
//! so `E-mail`, `e_mail` and `EMAIL ` are one word, and `手機 號碼` is `手機號碼`.

use crate::model::FieldId;
use FieldId as F;

/// The compact form of a header: lower-case letters and digits only (CJK
/// characters are letters). A part in brackets is kept; `guess` also tries without.
pub fn compact(h: &str) -> String {
    h.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// `Mobile (HK)`, `手機（香港）`, `Phone [work]` without the bracketed part.
pub fn without_brackets(h: &str) -> String {
    let mut out = String::with_capacity(h.len());
    let mut depth = 0usize;
    for c in h.chars() {
        match c {
            '(' | '（' | '[' | '【' => depth += 1,
            ')' | '）' | ']' | '】' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// Names that say which field a column holds, each with the fields it may hold in
/// order of preference: a name that fits several (`Phone`) takes the first one no
/// more specific column of the list holds. Compact forms.
pub const NAMES: &[(&[&str], &[FieldId])] = &[
    (
        &[
            "firstname",
            "givenname",
            "forename",
            "first",
            "fname",
            "名",
            "名字",
        ],
        &[F::FirstName],
    ),
    (
        &[
            "lastname",
            "surname",
            "familyname",
            "last",
            "lname",
            "姓",
            "姓氏",
        ],
        &[F::LastName],
    ),
    (
        &[
            "mobile",
            "mobilephone",
            "mobileno",
            "mobilenumber",
            "mobiletel",
            "cell",
            "cellphone",
            "cellular",
            "handphone",
            "手機",
            "手机",
            "手提",
            "手提電話",
            "手機號碼",
            "手机号码",
            "手机号",
            "流動電話",
            "行動電話",
            "移動電話",
        ],
        &[F::MobilePhone],
    ),
    (
        &[
            "workphone",
            "officephone",
            "office",
            "officetel",
            "officeno",
            "businessphone",
            "worktel",
            "directline",
            "辦公電話",
            "办公电话",
            "公司電話",
            "公司电话",
            "辦公室電話",
            "办公室电话",
            "直線",
        ],
        &[F::WorkPhone],
    ),
    (
        &[
            "homephone",
            "home",
            "hometel",
            "residence",
            "住宅電話",
            "住宅电话",
            "家居電話",
            "家庭電話",
            "家庭电话",
        ],
        &[F::HomePhone],
    ),
    (&["otherphone", "其他電話", "其他电话"], &[F::OtherPhone]),
    (
        &[
            "phone",
            "phonenumber",
            "phoneno",
            "telephone",
            "tel",
            "telno",
            "contactnumber",
            "contactno",
            "電話",
            "电话",
            "電話號碼",
            "电话号码",
            "聯絡電話",
            "联络电话",
            "聯繫電話",
            "联系电话",
        ],
        &[F::MobilePhone, F::OtherPhone, F::WorkPhone, F::HomePhone],
    ),
    (
        &[
            "email",
            "emailaddress",
            "mail",
            "workemail",
            "businessemail",
            "電郵",
            "电邮",
            "電郵地址",
            "电邮地址",
            "電子郵件",
            "电子邮件",
            "電子郵箱",
            "电子邮箱",
            "郵箱",
            "邮箱",
            "郵件",
            "邮件",
        ],
        &[F::Email, F::PersonalEmail, F::OtherEmail],
    ),
    (
        &[
            "personalemail",
            "privateemail",
            "homeemail",
            "個人電郵",
            "私人電郵",
            "个人邮箱",
            "私人邮箱",
        ],
        &[F::PersonalEmail],
    ),
    (&["otheremail", "其他電郵", "其他邮箱"], &[F::OtherEmail]),
    (
        &[
            "company",
            "companyname",
            "organisation",
            "organization",
            "org",
            "employer",
            "business",
            "公司",
            "公司名稱",
            "公司名称",
            "機構",
            "机构",
            "單位",
            "单位",
        ],
        &[F::CompanyName],
    ),
    (
        &[
            "department",
            "dept",
            "team",
            "division",
            "部門",
            "部门",
            "團隊",
            "团队",
        ],
        &[F::Department],
    ),
    (
        &[
            "jobtitle",
            "title",
            "position",
            "role",
            "designation",
            "job",
            "職位",
            "职位",
            "職稱",
            "职称",
            "職銜",
            "职衔",
            "職務",
            "职务",
        ],
        &[F::JobTitle],
    ),
    (
        &["group", "組別", "组别", "群組", "群组", "分組", "分组"],
        &[F::Group],
    ),
    (
        &[
            "birthday",
            "birthdate",
            "dateofbirth",
            "dob",
            "生日",
            "出生日期",
        ],
        &[F::Birthday],
    ),
    (
        &["language", "lang", "preferredlanguage", "語言", "语言"],
        &[F::Language],
    ),
    (&["level", "等級", "等级", "級別", "级别"], &[F::Level]),
    (
        &[
            "type",
            "contacttype",
            "customertype",
            "類型",
            "类型",
            "客戶類型",
            "客户类型",
        ],
        &[F::CustomerType],
    ),
    (
        &[
            "street",
            "address",
            "streetaddress",
            "address1",
            "addressline1",
            "地址",
            "街道",
        ],
        &[F::Street],
    ),
    (&["city", "town", "城市"], &[F::City]),
    (
        &["state", "province", "region", "county", "州", "省", "省份"],
        &[F::State],
    ),
    (
        &[
            "zip",
            "zipcode",
            "postcode",
            "postalcode",
            "郵編",
            "邮编",
            "郵政編碼",
            "邮政编码",
        ],
        &[F::Zipcode],
    ),
    (
        &[
            "country",
            "countryregion",
            "nation",
            "國家",
            "国家",
            "國家地區",
            "国家地区",
        ],
        &[F::Country],
    ),
    (&["whatsapp", "whatsappnumber"], &[F::WhatsApp]),
    (
        &["wechat", "wechatid", "微信", "微信號", "微信号"],
        &[F::WeChat],
    ),
    (&["line", "lineid"], &[F::Line]),
    (&["facebook", "messenger"], &[F::Facebook]),
    (&["twitter"], &[F::Twitter]),
    (&["linkedin"], &[F::Linkedin]),
    (&["owner", "ownername", "負責人", "负责人"], &[F::OwnerName]),
];

/// Names of a person's whole name: CINNOX has first and last names only, so such a
/// column goes into First Name when the list has no first-name column.
pub const WHOLE_NAME: &[&str] = &[
    "name",
    "fullname",
    "contactname",
    "contact",
    "customername",
    "clientname",
    "姓名",
    "全名",
    "聯絡人",
    "联络人",
    "联系人",
    "客戶名稱",
    "客户名称",
];

/// The fields a header names, best first; empty when it names none. Field ids
/// themselves (`mobilePhone`, `address.city`) are names too.
pub fn fields_for(header: &str) -> Vec<FieldId> {
    let look = |key: &str| -> Option<Vec<FieldId>> {
        if key.is_empty() {
            return None;
        }
        if let Some((_, fields)) = NAMES.iter().find(|(names, _)| names.contains(&key)) {
            return Some(fields.to_vec());
        }
        FieldId::ALL
            .iter()
            .find(|f| compact(f.key()) == key)
            .map(|f| vec![*f])
    };
    look(&compact(header))
        .or_else(|| look(&compact(&without_brackets(header))))
        .unwrap_or_default()
}

/// Whether a header names a person's whole name.
pub fn is_whole_name(header: &str) -> bool {
    WHOLE_NAME.contains(&compact(header).as_str())
        || WHOLE_NAME.contains(&compact(&without_brackets(header)).as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_and_chinese_headers_name_their_fields() {
        for (h, f) in [
            ("Mobile", F::MobilePhone),
            ("手機", F::MobilePhone),
            ("手機號碼 *", F::MobilePhone),
            ("Mobile (HK)", F::MobilePhone),
            ("電郵", F::Email),
            ("E-mail Address", F::Email),
            ("公司", F::CompanyName),
            ("Job Title", F::JobTitle),
            ("職位", F::JobTitle),
            ("Date of Birth", F::Birthday),
            ("出生日期", F::Birthday),
            ("address.city", F::City),
            ("mobilePhone", F::MobilePhone),
            ("Post Code", F::Zipcode),
        ] {
            assert_eq!(fields_for(h).first(), Some(&f), "{h}");
        }
        assert_eq!(fields_for("Tel.")[0], F::MobilePhone);
        assert!(fields_for("Notes").is_empty());
        assert!(fields_for("").is_empty());
        assert!(is_whole_name("姓名") && is_whole_name("Full Name") && !is_whole_name("Mobile"));
    }

    #[test]
    fn every_name_is_in_compact_form_and_listed_once() {
        let mut seen = std::collections::HashSet::new();
        for name in NAMES.iter().flat_map(|(n, _)| n.iter()).chain(WHOLE_NAME) {
            assert_eq!(compact(name), *name, "{name} is not compact");
            assert!(seen.insert(*name), "{name} is listed twice");
        }
    }
}
