//! The sea-orm entity model: one module per table, the same for both engines. Crate
//! private: callers see the plain row types of `rows`, never a `Model`, so what leaves the
//! store is decided here and not by whatever columns a table happens to have.
//!
//! Relations are not declared: queries name their joins explicitly, which keeps each
//! query readable on its own and the personal-data checks next to it.

macro_rules! no_relations {
    () => {
        #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
        pub enum Relation {}

        impl ActiveModelBehavior for ActiveModel {}
    };
}

pub(crate) mod branches {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "branches")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub code: String,
        pub name: String,
    }
    no_relations!();
}

pub(crate) mod teams {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "teams")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub code: String,
        pub name: String,
        pub branch_code: String,
    }
    no_relations!();
}

pub(crate) mod staff_users {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "staff_users")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub username: String,
        pub display_name: String,
        pub password_hash: String,
        pub totp_secret_ct: Vec<u8>,
        pub totp_confirmed: bool,
        pub branch_code: Option<String>,
        pub confidentiality_signed_on: Option<Date>,
        pub disabled: bool,
        pub created_at: DateTimeUtc,
    }
    no_relations!();
}

pub(crate) mod staff_roles {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "staff_roles")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub user_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub role: String,
    }
    no_relations!();
}

pub(crate) mod team_members {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "team_members")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub user_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub team_code: String,
    }
    no_relations!();
}

pub(crate) mod clients {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "clients")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub branch_code: String,
        pub name_ct: Vec<u8>,
        pub birth_date_ct: Vec<u8>,
        pub gender_ct: Option<Vec<u8>>,
        pub address_ct: Option<Vec<u8>>,
        pub phone_ct: Option<Vec<u8>>,
        pub email_ct: Option<Vec<u8>>,
        pub bsn_ct: Option<Vec<u8>>,
        pub confidential_address: bool,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }
    no_relations!();
}

pub(crate) mod search_tokens {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "search_tokens")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub token: Vec<u8>,
        #[sea_orm(primary_key, auto_increment = false)]
        pub client_id: Uuid,
    }
    no_relations!();
}

pub(crate) mod related_persons {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "related_persons")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub client_id: Uuid,
        pub relation: String,
        pub name_ct: Vec<u8>,
        pub birth_date_ct: Option<Vec<u8>>,
        pub phone_ct: Option<Vec<u8>>,
        pub email_ct: Option<Vec<u8>>,
        pub address_ct: Option<Vec<u8>>,
        pub authority_since: Option<Date>,
        pub mandate_ct: Option<Vec<u8>>,
        pub linked_client_id: Option<Uuid>,
        pub created_at: DateTimeUtc,
    }
    no_relations!();
}

pub(crate) mod trajectories {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "trajectories")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub client_id: Uuid,
        pub service_type: String,
        pub branch_code: String,
        pub team_code: String,
        pub domestic_violence: bool,
        pub opened_on: Date,
        pub closed_on: Option<Date>,
        pub last_change_at: DateTimeUtc,
        pub retention_until: Option<Date>,
        pub created_at: DateTimeUtc,
        /// RTS-7, RTS-9, RTS-10: the freeze in force, read with the row by the gate.
        pub frozen_since: Option<DateTimeUtc>,
        pub frozen_kind: Option<String>,
        /// SHR-5: the non-identifying facts anonymous reports count.
        pub municipality: Option<String>,
        pub age_band: Option<String>,
        pub gender: Option<String>,
    }
    no_relations!();
}

pub(crate) mod trajectory_workers {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "trajectory_workers")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub trajectory_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub user_id: Uuid,
        pub assigned_on: Date,
    }
    no_relations!();
}

pub(crate) mod entries {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "entries")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub trajectory_id: Uuid,
        pub client_id: Uuid,
        pub kind: String,
        pub special_category: Option<String>,
        pub necessity_ct: Option<Vec<u8>>,
        pub current_version: i32,
        pub created_by: Uuid,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }
    no_relations!();
}

pub(crate) mod entry_versions {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "entry_versions")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub entry_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub version: i32,
        pub content_ct: Vec<u8>,
        pub author_id: Uuid,
        pub created_at: DateTimeUtc,
    }
    no_relations!();
}

pub(crate) mod goal_progress {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "goal_progress")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub entry_id: Uuid,
        pub client_id: Uuid,
        pub progress: i32,
        pub note_ct: Vec<u8>,
        pub author_id: Uuid,
        pub created_at: DateTimeUtc,
    }
    no_relations!();
}

pub(crate) mod work_notes {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "work_notes")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub trajectory_id: Uuid,
        pub client_id: Uuid,
        pub author_id: Uuid,
        pub body_ct: Vec<u8>,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }
    no_relations!();
}

pub(crate) mod attachments {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "attachments")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub entry_id: Uuid,
        pub client_id: Uuid,
        pub filename_ct: Vec<u8>,
        pub media_type: String,
        pub size_bytes: i64,
        pub created_by: Uuid,
        pub created_at: DateTimeUtc,
    }
    no_relations!();
}

pub(crate) mod audit_log {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "audit_log")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub seq: i64,
        pub id: Uuid,
        pub at: DateTimeUtc,
        pub action: String,
        pub outcome: String,
        pub object: String,
        pub object_id: Option<Uuid>,
        pub client_id: Option<Uuid>,
        pub user_id: Option<Uuid>,
        pub user_name: String,
        pub role: String,
        pub on_behalf_of: Option<Uuid>,
        pub purpose: String,
        pub access_point: String,
        pub rule_ids: String,
        pub detail: Option<String>,
        pub prev_hash: Vec<u8>,
        pub hash: Vec<u8>,
    }
    no_relations!();
}

pub(crate) mod audit_head {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "audit_head")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: i32,
        pub seq: i64,
        pub hash: Vec<u8>,
    }
    no_relations!();
}

pub(crate) mod destruction_records {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "destruction_records")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub at: DateTimeUtc,
        pub subject_kind: String,
        pub subject_id: Uuid,
        pub rule: String,
        pub reason: String,
        pub by_user: Option<Uuid>,
        pub counts: String,
    }
    no_relations!();
}

/// The key store lives in schema `zv_keys` (see the crate docs for why).
pub(crate) mod client_keys {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(schema_name = "zv_keys", table_name = "client_keys")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub client_id: Uuid,
        pub kek_version: i32,
        pub key_version: i32,
        pub wrapped: Vec<u8>,
    }
    no_relations!();
}

pub(crate) mod system_keys {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(schema_name = "zv_keys", table_name = "system_keys")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub name: String,
        pub kek_version: i32,
        pub key_version: i32,
        pub wrapped: Vec<u8>,
    }
    no_relations!();
}
