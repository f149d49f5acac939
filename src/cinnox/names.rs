//! The one table of CINNOX wire names: every path, query parameter and member name
//! the client sends or reads. When `cinnox-sync check` on a real tenant shows a name
//! spelt otherwise, the correction is one edit here. Nothing else in the client
//! spells a wire name; the sandbox spells the contract on its own (`sandbox::wire`),
//! so a misspelling here fails the tests instead of agreeing with itself.
//!
//! Each entry says where it comes from: *doc* (CINNOX's documents, named by title
//! in docs/cinnox-api.md: "Zapier", "Create/Edit/Delete Enquiry event
//! subscription", "Open API Reports") or *assumed* (not in them; confirmed only
//! by `check` on a real tenant).

use crate::model::{FieldId, Typed};

/// Paths. Every call is `{Base URL}/v1/api/apps/{App ID}/{path}`.
pub mod path {
    /// doc (Create/Edit/Delete Enquiry event subscription): `/v1/api/apps/{appID}/...`.
    pub const APPS_PREFIX: &str = "/v1/api/apps/";
    /// What a base URL may already end with (users paste it from an example).
    pub const API_ROOT: &str = "/v1/api";
    /// assumed.
    pub const LIST_CONTACTS: &str = "contacts/extcontact-list";
    /// assumed.
    pub const CREATE_CONTACT: &str = "management/create_externalcontact";
    /// assumed; followed by `/{contactID}`.
    pub const UPDATE_CONTACT: &str = "management/update_externalcontact";
    /// assumed.
    pub const LIST_STAFF: &str = "contacts/staffcontact-list";
    /// assumed, by analogy with doc `inquiry-event-sub`.
    pub const CONTACT_EVENTS: &str = "contact-event-sub";
    /// assumed.
    pub const EXTERNAL_CONTACT_EVENTS: &str = "external-contact-event-sub";
    /// assumed.
    pub const STAFF_CONTACT_EVENTS: &str = "staff-contact-event-sub";
}

/// Query parameters of the list calls.
pub mod query {
    /// doc (Open API Reports: `negative offset`).
    pub const OFFSET: &str = "offset";
    /// doc (Open API Reports: `negative limit`, `exceed maximum limit`).
    pub const LIMIT: &str = "limit";
    /// assumed (staff list filter).
    pub const FULL_NAME: &str = "fullName";
}

/// The answer envelope.
pub mod envelope {
    /// doc (Enquiry event subscription: `Code int json:"code"`).
    pub const CODE: &str = "code";
    /// assumed (the error text).
    pub const MESSAGE: &str = "message";
    /// Also read for the error text.
    pub const MESSAGE_ALSO: &str = "msg";
    /// doc (Enquiry event subscription: `Result json.RawMessage json:"result"`).
    pub const RESULT: &str = "result";
    /// assumed.
    pub const TOTAL: &str = "total";
    /// Where a list answer's items are looked for, in order: `result` is assumed,
    /// the others are tolerated.
    pub const ITEMS: [&str; 5] = [RESULT, "data", "list", "contacts", "items"];
    /// assumed: the id a create answers, at the top level or under one of `ID_UNDER`.
    pub const ID: &str = "id";
    pub const ID_UNDER: [&str; 2] = [RESULT, "data"];
}

/// Members of a listed contact beside its fields.
pub mod contact {
    /// doc (Zapier, Get External Contact Detail: `id`).
    pub const ID: &str = "id";
    /// Also read as the id.
    pub const ID_ALSO: &str = "contactId";
    /// doc (`sharedWith`).
    pub const SHARED_WITH: &str = "sharedWith";
    /// assumed camel case; the doc writes `slavecontacts` (read too: names are
    /// matched without regard to case).
    pub const SLAVE_CONTACTS: &str = "slaveContacts";
    /// assumed: the address as one object; the doc writes `addresses.street`...
    pub const ADDRESS: &str = "address";
    /// doc (`addresses.*`): read too, as an object or as dotted members.
    pub const ADDRESS_ALSO: &str = "addresses";
    /// assumed: tenant custom fields (read only).
    pub const CUSTOM_PREFIX: &str = "cf_";
}

/// Where a field is read in a listed contact.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum ReadName {
    /// A top-level member.
    Top(&'static str),
    /// A member of the `address` object.
    Address(&'static str),
}

/// Where a field is written in a create/update body.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum WriteName {
    /// A top-level string member.
    Scalar(&'static str),
    /// A member of the `addresses` object.
    Address(&'static str),
    /// An entry of `phones`, under its type value (`FieldId::typed`).
    Phone,
    /// An entry of `emails`, under its type value.
    Email,
    /// An entry of `socialContacts`, under its type value.
    Social,
    /// Not writable through the API.
    None,
}

use ReadName::{Address as RA, Top};
use WriteName::{Address as WA, Email as E, Phone as P, Scalar as S, Social as SO};

/// Every field: its name when read (doc: Zapier, Get External Contact Detail; the
/// doc writes `ownerID` and `addresses.*`) and when written (assumed: the doc
/// lists only the Zapier form's labels, `First Name`, `Phone Type`...).
const FIELDS: [(FieldId, ReadName, WriteName); FieldId::COUNT] = [
    (FieldId::FirstName, Top("firstName"), S("firstName")),
    (FieldId::LastName, Top("lastName"), S("lastName")),
    (FieldId::MobilePhone, Top("mobilePhone"), P),
    (FieldId::WorkPhone, Top("workPhone"), P),
    (FieldId::HomePhone, Top("homePhone"), P),
    (FieldId::OtherPhone, Top("otherPhone"), P),
    (FieldId::Email, Top("email"), E),
    (FieldId::PersonalEmail, Top("personalEmail"), E),
    (FieldId::OtherEmail, Top("otherEmail"), E),
    (FieldId::Facebook, Top("facebook"), SO),
    (FieldId::WhatsApp, Top("whatsApp"), SO),
    (FieldId::WeChat, Top("weChat"), SO),
    (FieldId::Line, Top("line"), SO),
    (FieldId::Twitter, Top("twitter"), SO),
    (FieldId::Linkedin, Top("linkedin"), SO),
    (FieldId::WoztellWhatsApp, Top("woztellWhatsApp"), SO),
    (FieldId::WoztellFacebook, Top("woztellFacebook"), SO),
    (FieldId::WoztellInstagram, Top("woztellInstagram"), SO),
    (FieldId::CompanyName, Top("companyName"), S("company")),
    (FieldId::Department, Top("department"), S("team")),
    (FieldId::JobTitle, Top("jobTitle"), S("jobTitle")),
    (FieldId::Group, Top("group"), S("group")),
    (FieldId::Birthday, Top("birthday"), S("birthDate")),
    (FieldId::Language, Top("language"), S("language")),
    (FieldId::CustomerType, Top("customerType"), S("type")),
    (FieldId::Level, Top("level"), S("level")),
    (FieldId::Street, RA("street"), WA("street")),
    (FieldId::City, RA("city"), WA("city")),
    (FieldId::State, RA("state"), WA("state")),
    (FieldId::Zipcode, RA("zipcode"), WA("zipcode")),
    (FieldId::Country, RA("country"), WA("country")),
    (FieldId::OwnerId, Top("ownerId"), WriteName::None),
    (FieldId::OwnerName, Top("ownerName"), WriteName::None),
    (
        FieldId::OwnerDepartment,
        Top("ownerDepartment"),
        WriteName::None,
    ),
];

/// The name `field` is read under in a listed contact.
pub fn read_name(field: FieldId) -> ReadName {
    FIELDS[field.index()].1
}

/// The name `field` is written under in a create/update body.
pub fn write_name(field: FieldId) -> WriteName {
    FIELDS[field.index()].2
}

/// The members of the create/update body (assumed).
pub mod write {
    pub const PHONES: &str = "phones";
    pub const PHONE_TYPE: &str = "type";
    pub const PHONE: &str = "phone";
    pub const EMAILS: &str = "emails";
    pub const EMAIL_TYPE: &str = "type";
    pub const EMAIL: &str = "email";
    pub const SOCIALS: &str = "socialContacts";
    pub const SOCIAL_TYPE: &str = "key";
    pub const SOCIAL_VALUE: &str = "value";
    pub const ADDRESSES: &str = "addresses";
}

/// The members of a staff record (assumed; `department` is the sandbox's source of
/// `ownerDepartment`). Each is read without regard to case.
pub mod staff {
    pub const ID: &str = "id";
    pub const ID_ALSO: &str = "staffId";
    pub const FIRST_NAME: &str = "firstName";
    pub const LAST_NAME: &str = "lastName";
    pub const EMAIL: &str = "email";
    pub const DISPLAY_NAME: &str = "displayName";
    pub const STATUS: &str = "status";
    pub const DEPARTMENT: &str = "department";
}

/// Event subscriptions and the challenge handshake.
pub mod subscription {
    /// doc (Enquiry event subscription: the answer's `enabled`, `url`, `updatedAt`).
    pub const ENABLED: &str = "enabled";
    pub const URL: &str = "url";
    pub const UPDATED_AT: &str = "updatedAt";
    /// doc (Enquiry event subscription, Connecting Third Party Channel:
    /// `{"challenge": ...}`, echoed under `result`).
    pub const CHALLENGE: &str = "challenge";
}

/// A webhook delivery about a contact. Read without regard to case.
pub mod event {
    /// assumed: the wrapped form `{"type":"message","challenge":"","message":{...}}`.
    pub const TYPE: &str = "type";
    pub const MESSAGE: &str = "message";
    /// doc (Zapier triggers: `status` create, edit, merge, transfer, delete).
    pub const STATUS: &str = "status";
    /// doc (Zapier triggers: `name`, the contact's full name).
    pub const NAME: &str = "name";
    /// assumed: the wrapped form's spelling of the name.
    pub const FULL_NAME: &str = "fullName";
    /// assumed (doc has it for enquiries: `serviceId`).
    pub const SERVICE_ID: &str = "serviceId";
    /// assumed: the contact (for a merge, the survivor).
    pub const ID: &str = "id";
    pub const ID_ALSO: &str = "contactId";
    /// assumed: the contacts a merge absorbed.
    pub const MERGED_IDS: &str = "mergedIds";
    /// doc (Zapier triggers: `fromOwnerID`, `toOwnerID`).
    pub const FROM_OWNER: &str = "fromOwnerID";
    pub const TO_OWNER: &str = "toOwnerID";
}

/// The type value a typed field is written under (`Mobile`, `Personal`, `LINE`).
pub fn type_value(field: FieldId) -> &'static str {
    match field.typed() {
        Typed::Phone(t) | Typed::Email(t) | Typed::Social(t) => t,
        Typed::No => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_has_every_field_in_order() {
        for (i, (f, _, _)) in FIELDS.iter().enumerate() {
            assert_eq!(f.index(), i, "{f}");
        }
    }

    #[test]
    fn write_names_agree_with_the_model() {
        for f in FieldId::ALL {
            let typed = !matches!(f.typed(), Typed::No);
            match write_name(*f) {
                WriteName::None => assert!(!f.is_writable(), "{f}"),
                WriteName::Phone | WriteName::Email | WriteName::Social => assert!(typed, "{f}"),
                WriteName::Scalar(_) | WriteName::Address(_) => assert!(!typed, "{f}"),
            }
            assert_eq!(
                matches!(read_name(*f), ReadName::Address(_)),
                f.key().starts_with("address."),
                "{f}"
            );
        }
    }
}
