//! The write model of CINNOX: the body of `create_externalcontact` and
//! `update_externalcontact` (phones, e-mails, social handles and addresses as
//! CINNOX nests them), built from `FieldValues` and read back into them. Exact:
//! every member is always sent. Part of `wire`.

use super::*;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WirePhone {
    #[serde(rename = "type")]
    pub kind: String,
    pub phone: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WireEmail {
    #[serde(rename = "type")]
    pub kind: String,
    pub email: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WireSocial {
    pub key: String,
    pub value: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct WireAddress {
    pub street: String,
    pub city: String,
    pub state: String,
    pub zipcode: String,
    pub country: String,
}

/// The body of `create_externalcontact` and `update_externalcontact`. Every member
/// is always sent (empty strings for empty fields) because update semantics are
/// undocumented: a full body never leaves a field to the server's imagination.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct WriteBody {
    pub first_name: String,
    pub last_name: String,
    pub level: String,
    #[serde(rename = "type")]
    pub customer_type: String,
    pub phones: Vec<WirePhone>,
    pub emails: Vec<WireEmail>,
    pub company: String,
    pub job_title: String,
    pub team: String,
    pub group: String,
    pub language: String,
    pub birth_date: String,
    pub addresses: WireAddress,
    pub social_contacts: Vec<WireSocial>,
}

impl WriteBody {
    /// The body that sets every writable field to `values` (read-only fields ignored).
    pub fn from_values(values: &FieldValues) -> WriteBody {
        let mut b = WriteBody::default();
        for (f, v) in values.iter() {
            let v = v.to_string();
            match f.write_place() {
                WritePlace::Phone(t) => b.phones.push(WirePhone {
                    kind: t.into(),
                    phone: v,
                }),
                WritePlace::Email(t) => b.emails.push(WireEmail {
                    kind: t.into(),
                    email: v,
                }),
                WritePlace::Social(t) => b.social_contacts.push(WireSocial {
                    key: t.into(),
                    value: v,
                }),
                WritePlace::Address(_) | WritePlace::Scalar(_) => *b.slot(f) = v,
                WritePlace::None => {}
            }
        }
        b
    }

    fn slot(&mut self, f: FieldId) -> &mut String {
        match f {
            FieldId::FirstName => &mut self.first_name,
            FieldId::LastName => &mut self.last_name,
            FieldId::Level => &mut self.level,
            FieldId::CustomerType => &mut self.customer_type,
            FieldId::CompanyName => &mut self.company,
            FieldId::JobTitle => &mut self.job_title,
            FieldId::Department => &mut self.team,
            FieldId::Group => &mut self.group,
            FieldId::Language => &mut self.language,
            FieldId::Birthday => &mut self.birth_date,
            FieldId::Street => &mut self.addresses.street,
            FieldId::City => &mut self.addresses.city,
            FieldId::State => &mut self.addresses.state,
            FieldId::Zipcode => &mut self.addresses.zipcode,
            _ => &mut self.addresses.country,
        }
    }

    /// The field values this body sets, or a message naming the member that cannot be
    /// read (an unknown phone/email/social type, or a type given twice).
    pub fn to_values(&self) -> Result<FieldValues, String> {
        let mut out = FieldValues::new();
        let scalars = [
            FieldId::FirstName,
            FieldId::LastName,
            FieldId::Level,
            FieldId::CustomerType,
            FieldId::CompanyName,
            FieldId::JobTitle,
            FieldId::Department,
            FieldId::Group,
            FieldId::Language,
            FieldId::Birthday,
            FieldId::Street,
            FieldId::City,
            FieldId::State,
            FieldId::Zipcode,
            FieldId::Country,
        ];
        let mut me = self.clone();
        for f in scalars {
            out.set(f, std::mem::take(me.slot(f)));
        }
        let typed =
            self.phones
                .iter()
                .enumerate()
                .map(|(i, p)| ("phones", i, &p.kind, phone_field(&p.kind), &p.phone))
                .chain(
                    self.emails
                        .iter()
                        .enumerate()
                        .map(|(i, e)| ("emails", i, &e.kind, email_field(&e.kind), &e.email)),
                )
                .chain(
                    self.social_contacts.iter().enumerate().map(|(i, s)| {
                        ("socialContacts", i, &s.key, social_field(&s.key), &s.value)
                    }),
                );
        for (member, i, kind, field, value) in typed {
            let what = if member == "socialContacts" {
                "key"
            } else {
                "type"
            };
            let field =
                field.ok_or_else(|| format!("{member}[{i}].{what}: unknown {what} `{kind}`"))?;
            if out.has(field) && !value.is_empty() {
                let t = type_name(field).unwrap_or_default();
                return Err(format!("{member}[{i}]: a second entry of {what} {t}"));
            }
            out.set(field, value.clone());
        }
        Ok(out)
    }
}
